/**
 * An error the user caused and can fix (bad path, unknown rule, bad option value). The CLI prints
 * its message and hint as one line each and exits 2; anything else is an internal error.
 */
export class InputError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}
