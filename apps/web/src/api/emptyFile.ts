/** A file to import that has no bytes: nothing is sent, and the person is told so. */
export class EmptyFile extends Error {
  override readonly name = 'EmptyFile';
  constructor() {
    super('the file is empty');
  }
}
