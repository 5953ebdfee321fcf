import { CHART_FONT } from './helveticaTextWidth.js';

/** Plot width of every leakgate chart, in pixels (axes, legends and titles come on top). */
export const CHART_WIDTH = 620;

/** Vega-Lite config shared by every leakgate chart. */
export const CHART_CONFIG = {
  font: CHART_FONT,
  view: { stroke: '#dddddd' },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal' },
  legend: { labelFontSize: 11, labelLimit: 300, symbolOpacity: 1 },
  title: { fontSize: 14, subtitleFontSize: 11 },
} as const;
