// The few plotly.js entry points the ML charts use (plotly.js-dist-min ships no types).
declare module 'plotly.js-dist-min' {
  export interface PlotTrace {
    type?: 'scatter' | 'bar' | 'heatmap';
    mode?: 'lines' | 'markers' | 'lines+markers';
    name?: string;
    x: (number | string | null)[];
    y: (number | string | null)[];
    /** Bars: where each bar starts (dates on a date axis), so x is its length (ms on a date axis). */
    base?: (number | string)[];
    orientation?: 'h' | 'v';
    hovertext?: string[];
    hoverinfo?: string;
    line?: { dash?: 'solid' | 'dash' | 'dot'; width?: number; color?: string; shape?: 'linear' | 'hv' };
    marker?: { size?: number; color?: string; symbol?: 'circle' | 'x' | 'diamond' | 'square'; opacity?: number };
    showlegend?: boolean;
    legendgroup?: string;
    opacity?: number;
    error_y?: { type: 'data'; symmetric: false; array: number[]; arrayminus: number[] };
    /** Scatter: shade to the previous trace (an interval drawn as a band between its lower and upper lines). */
    fill?: 'tonexty' | 'none';
    fillcolor?: string;
    /** Heatmaps: rows × columns of values (null draws a gap), the hover text of each cell, and the colour scale. */
    z?: (number | null)[][];
    text?: string[][];
    colorscale?: string | [number, string][];
    zmin?: number;
    zmax?: number;
    xgap?: number;
    ygap?: number;
    hoverongaps?: boolean;
    colorbar?: Record<string, unknown>;
  }
  export type PlotLayout = Record<string, unknown>;
  export function react(el: HTMLElement, data: PlotTrace[], layout?: PlotLayout, config?: Record<string, unknown>): Promise<unknown>;
  export function purge(el: HTMLElement): void;
}
