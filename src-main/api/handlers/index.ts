export type { Handler, HandlersFor } from './handler';
export { handlers } from './table';
export { dispatch } from './dispatch';
