// Colour-blind-safe sequential palettes for the choropleth, light (low) to dark (high), and
// the hatching of areas without a value.
//
// The ColorBrewer sequential schemes (Cynthia Brewer, Penn State; Apache-2.0) and viridis
// (Smith and van der Walt, CC0), each as its 9-class list; fewer classes take evenly spaced
// colours of it (the lightest left out below 9, as ColorBrewer's own shorter lists do). No
// palette holds a neutral grey: grey hatching means "not available" and nothing else.

export const PALETTES = {
  blues: ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"],
  ylgnbu: ["#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58"],
  ylorrd: ["#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026"],
  purples: ["#fcfbfd", "#efedf5", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#54278f", "#3f007d"],
  viridis: ["#fde725", "#addc30", "#5ec962", "#28ae80", "#21918c", "#2c728e", "#3b528b", "#472d7b", "#440154"],
};
export const DEFAULT_PALETTE = "blues";

export const HATCH_BACKGROUND = "#e6e6e6";
export const HATCH_LINE = "#8c8c8c";

/** `k` colours of a palette, low to high. */
export function coloursOf(name, k) {
  const full = PALETTES[name] || PALETTES[DEFAULT_PALETTE];
  if (k >= full.length) return [...full];
  if (k === 1) return [full[full.length - 1]];
  const first = 1;
  const span = full.length - 1 - first;
  return Array.from({ length: k }, (_, i) => full[Math.round(first + (i * span) / (k - 1))]);
}

/** A canvas pattern of grey diagonal lines for `ctx` (one per canvas context). */
export function hatchPattern(ctx, ratio = 1) {
  const size = Math.round(8 * ratio);
  const tile = document.createElement("canvas");
  tile.width = size;
  tile.height = size;
  const g = tile.getContext("2d");
  g.fillStyle = HATCH_BACKGROUND;
  g.fillRect(0, 0, size, size);
  g.strokeStyle = HATCH_LINE;
  g.lineWidth = 1.5 * ratio;
  g.beginPath();
  // Two segments so that the lines join across the pattern's repeats.
  g.moveTo(0, size);
  g.lineTo(size, 0);
  g.moveTo(-size / 2, size / 2);
  g.lineTo(size / 2, -size / 2);
  g.moveTo(size / 2, size * 1.5);
  g.lineTo(size * 1.5, size / 2);
  g.stroke();
  return ctx.createPattern(tile, "repeat");
}

// The bivariate view's 3×3 colours (bivariate.js), by class code: the letter is the
// vulnerability tercile (A low, B, C high: the legend's rows), the digit the distance tercile
// (1 nearest, 2, 3 farthest: its columns). Joshua Stevens' purple–gold scheme ("Bivariate
// Choropleth Maps: A How-to Guide", joshuastevens.net, 2015; `stevens.purplegold` in the R
// package pals), one of the four bivariate palettes that Jakub Nowosad found still
// distinguishable under simulated deuteranopia, protanopia and tritanopia (colorblindcheck;
// "How to choose a bivariate color palette?", 2020). Vulnerability runs to purple, distance to
// gold, both high to dark brown (C3). Its A1 corner is Stevens' light grey: areas without a
// class keep the grey *hatching* (lines on grey), never a flat fill, and the legend's table
// names every class in words.
export const BIVARIATE = {
  A1: "#e8e8e8",
  A2: "#e4d9ac",
  A3: "#c8b35a",
  B1: "#cbb8d7",
  B2: "#c8ada0",
  B3: "#af8e53",
  C1: "#9972af",
  C2: "#976b82",
  C3: "#804d36",
};
