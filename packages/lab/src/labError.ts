/** A lab that cannot be built or torn down: wrong input, no privileges, or a command that failed. */
export class LabError extends Error {
  override readonly name = 'LabError';
}
