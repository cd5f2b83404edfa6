import { z } from 'zod';
import { defineOp } from '../defineOp';

export const metricsOps = {
  'metrics.scrape': defineOp({
    kind: 'query',
    summary: "The engine's Prometheus metrics in the text exposition format (serve mode answers GET /metrics with it)",
    input: z.object({}).strict(),
    output: z.object({
      contentType: z.string().describe('the exposition format and its version, for the Content-Type header'),
      text: z.string(),
    }),
  }),
};
