// The few plotly.js entry points the ML charts use (plotly.js-dist-min ships no types).
declare module 'plotly.js-dist-min' {
  export interface PlotTrace {
    type?: 'scatter' | 'bar';
    mode?: 'lines' | 'markers' | 'lines+markers';
    name?: string;
    x: (number | string)[];
    y: (number | null)[];
    line?: { dash?: 'solid' | 'dash' | 'dot'; width?: number };
    marker?: { size?: number };
    error_y?: { type: 'data'; symmetric: false; array: number[]; arrayminus: number[] };
  }
  export type PlotLayout = Record<string, unknown>;
  export function react(el: HTMLElement, data: PlotTrace[], layout?: PlotLayout, config?: Record<string, unknown>): Promise<unknown>;
  export function purge(el: HTMLElement): void;
}
