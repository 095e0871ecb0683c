export { deriveObligations } from './derive';
export * from './types';
