/** What the CLI reads from its environment, in one place so every command reads it the same way. */

/**
 * Whether the environment is a CI job: CI set to anything but an explicit no. `CI=false` (or `0`, or empty) is how
 * people switch a CI-only behaviour off again, so it must not count as CI.
 */
export function isCi(env: Readonly<Record<string, string | undefined>>): boolean {
  const value = env['CI']?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== 'false' && value !== '0' && value !== 'no';
}
