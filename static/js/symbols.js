// How service points look: colour by level of government, shape by kind. The same
// definitions draw the map's canvas tiles and the legend's SVG swatches.

// Dark enough for white outlines and text (contrast at least 4.5:1 against white) and apart
// for the common colour-vision deficiencies; the shapes carry the kind for everyone.
export const LEVEL_COLOURS = {
  federal: "#b5121b",
  provincial: "#1d4f91",
  territorial: "#00704a",
  municipal: "#7a3e9d",
};
export const UNKNOWN_COLOUR = "#555555";
export const CLUSTER_LEVELS = ["federal", "provincial", "territorial", "municipal"];

const polygon = (sides, rotation = -Math.PI / 2, scale = 1) =>
  Array.from({ length: sides }, (_, i) => {
    const angle = rotation + (i * 2 * Math.PI) / sides;
    return [scale * Math.cos(angle), scale * Math.sin(angle)];
  });

const star = (points, inner) =>
  Array.from({ length: points * 2 }, (_, i) => {
    const angle = -Math.PI / 2 + (i * Math.PI) / points;
    const radius = i % 2 ? inner : 1;
    return [radius * Math.cos(angle), radius * Math.sin(angle)];
  });

const PLUS = [
  [-0.35, -1],
  [0.35, -1],
  [0.35, -0.35],
  [1, -0.35],
  [1, 0.35],
  [0.35, 0.35],
  [0.35, 1],
  [-0.35, 1],
  [-0.35, 0.35],
  [-1, 0.35],
  [-1, -0.35],
  [-0.35, -0.35],
];

// Shapes in a unit box (-1..1): a polygon, or a circle; `hollow` draws an outline only (the
// kinds the public does not walk into: call and processing centres).
export const KIND_SHAPES = {
  centre: { circle: true },
  outreach: { points: polygon(3, -Math.PI / 2, 1.15) },
  kiosk: { points: polygon(4, Math.PI / 4, 1.05) },
  mobile: { points: polygon(3, Math.PI / 2, 1.15) },
  passport_office: { points: polygon(4, 0, 1.2) },
  postal_outlet: { points: polygon(5, -Math.PI / 2, 1.1) },
  business_centre: { points: polygon(6, 0, 1.05) },
  training_site: { points: star(5, 0.5), scale: 1.25 },
  partner_site: { points: PLUS },
  call_centre: { circle: true, hollow: true },
  processing_centre: { points: polygon(4, Math.PI / 4, 1.05), hollow: true },
};
const FALLBACK_SHAPE = { circle: true };

export const levelColour = (level) => LEVEL_COLOURS[level] || UNKNOWN_COLOUR;
export const kindShape = (kind) => KIND_SHAPES[kind] || FALLBACK_SHAPE;

function tracePath(ctx, shape, x, y, radius) {
  ctx.beginPath();
  if (shape.circle) {
    ctx.arc(x, y, radius, 0, 2 * Math.PI);
    return;
  }
  const scale = radius * (shape.scale || 1);
  shape.points.forEach(([px, py], i) => {
    if (i === 0) ctx.moveTo(x + px * scale, y + py * scale);
    else ctx.lineTo(x + px * scale, y + py * scale);
  });
  ctx.closePath();
}

/** One service point on a canvas: its kind's shape, filled with its level's colour. */
export function drawPoint(ctx, { x, y, radius, level, kind, muted = false }) {
  const shape = kindShape(kind);
  const colour = levelColour(level);
  ctx.globalAlpha = muted ? 0.45 : 1;
  tracePath(ctx, shape, x, y, radius);
  if (shape.hollow) {
    ctx.lineWidth = 4;
    ctx.strokeStyle = "#ffffff";
    ctx.stroke();
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = colour;
    ctx.stroke();
  } else {
    ctx.fillStyle = colour;
    ctx.fill();
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = "#ffffff";
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
}

/**
 * The radius of a group's circle: grows with the logarithm of its count, from 8 px for two
 * points to 20 px for tens of thousands. The server groups points on cells of 16 px, so small
 * groups stay about one cell wide and only the large ones spread over their neighbours.
 */
export const clusterRadius = (count) => Math.min(20, 7 + 3 * Math.log10(count));

/**
 * A group of points (a server-side cluster): a ring divided by level in proportion to each
 * level's count, around a white disc with the count written inside.
 */
export function drawCluster(ctx, { x, y, count, levels, label }) {
  const radius = clusterRadius(count);
  const total = CLUSTER_LEVELS.reduce((sum, level) => sum + (levels[level] || 0), 0);
  let start = -Math.PI / 2;
  if (total > 0) {
    for (const level of CLUSTER_LEVELS) {
      const share = (levels[level] || 0) / total;
      if (!share) continue;
      const end = start + share * 2 * Math.PI;
      ctx.beginPath();
      ctx.moveTo(x, y);
      ctx.arc(x, y, radius, start, end);
      ctx.closePath();
      ctx.fillStyle = LEVEL_COLOURS[level];
      ctx.fill();
      start = end;
    }
  } else {
    ctx.beginPath();
    ctx.arc(x, y, radius, 0, 2 * Math.PI);
    ctx.fillStyle = levelColour(levels.level);
    ctx.fill();
  }
  ctx.beginPath();
  ctx.arc(x, y, radius, 0, 2 * Math.PI);
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = "#ffffff";
  ctx.stroke();
  ctx.beginPath();
  ctx.arc(x, y, Math.max(radius - 3, radius * 0.62), 0, 2 * Math.PI);
  ctx.fillStyle = "#ffffff";
  ctx.fill();
  ctx.fillStyle = "#1b1b1b";
  ctx.font = `700 ${radius >= 12 ? 11 : 10}px system-ui, sans-serif`;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.fillText(label, x, y + 0.5);
}

const SVG = "http://www.w3.org/2000/svg";

/** A small SVG of a point's symbol, for the legend and the lists (hidden from screen readers). */
export function symbolSvg({ level = null, kind = "centre", size = 18 } = {}) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("width", size);
  svg.setAttribute("height", size);
  svg.setAttribute("viewBox", "-1.4 -1.4 2.8 2.8");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.classList.add("symbol");
  const shape = kindShape(kind);
  const colour = level ? levelColour(level) : "#3d3d3d";
  let element;
  if (shape.circle) {
    element = document.createElementNS(SVG, "circle");
    element.setAttribute("r", "1");
  } else {
    const scale = shape.scale || 1;
    element = document.createElementNS(SVG, "polygon");
    element.setAttribute(
      "points",
      shape.points.map(([x, y]) => `${(x * scale).toFixed(3)},${(y * scale).toFixed(3)}`).join(" "),
    );
  }
  if (shape.hollow) {
    element.setAttribute("fill", "none");
    element.setAttribute("stroke", colour);
    element.setAttribute("stroke-width", "0.45");
  } else {
    element.setAttribute("fill", colour);
    element.setAttribute("stroke", "#ffffff");
    element.setAttribute("stroke-width", "0.2");
  }
  svg.append(element);
  return svg;
}

/** The legend's swatch for a group of points. */
export function clusterSvg(size = 22) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("width", size);
  svg.setAttribute("height", size);
  svg.setAttribute("viewBox", "-1.1 -1.1 2.2 2.2");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.classList.add("symbol");
  const slices = [
    ["federal", 0, 0.4],
    ["provincial", 0.4, 0.75],
    ["territorial", 0.75, 0.85],
    ["municipal", 0.85, 1],
  ];
  for (const [level, from, to] of slices) {
    const a = -Math.PI / 2 + from * 2 * Math.PI;
    const b = -Math.PI / 2 + to * 2 * Math.PI;
    const path = document.createElementNS(SVG, "path");
    const large = to - from > 0.5 ? 1 : 0;
    path.setAttribute(
      "d",
      `M0,0 L${Math.cos(a).toFixed(3)},${Math.sin(a).toFixed(3)} ` +
        `A1,1 0 ${large} 1 ${Math.cos(b).toFixed(3)},${Math.sin(b).toFixed(3)} Z`,
    );
    path.setAttribute("fill", LEVEL_COLOURS[level]);
    svg.append(path);
  }
  const disc = document.createElementNS(SVG, "circle");
  disc.setAttribute("r", "0.62");
  disc.setAttribute("fill", "#ffffff");
  svg.append(disc);
  return svg;
}
