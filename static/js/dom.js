// Building DOM nodes without innerHTML: text from the API is always set as text.

/**
 * h("a", {href: url, class: "link"}, "text", otherNode): an element with attributes and
 * children; null, undefined and false children are skipped, strings become text nodes.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") element.className = value;
    else if (name === "dataset") Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** A term and its description for a <dl>, or nothing when the description is empty. */
export function term(label, ...description) {
  const content = description.flat().filter((item) => item !== null && item !== undefined && item !== "");
  if (!content.length) return [];
  return [h("dt", {}, label), h("dd", {}, ...content)];
}
