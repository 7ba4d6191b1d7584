export { mulberry32 } from '@hoplens/model/testing/random';
