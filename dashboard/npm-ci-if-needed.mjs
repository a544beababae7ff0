// `npm ci` unless node_modules already matches the lock file: npm writes node_modules/.package-lock.json last, so it
// is newer than package.json and package-lock.json exactly when the last install of this lock file completed.
// Saves the reinstall on every Maven build (and ./kronika rebuild) of an unchanged dashboard.
import { statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const mtime = (path) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
};
const installed = mtime('node_modules/.package-lock.json');
if (installed > 0 && installed >= mtime('package-lock.json') && installed >= mtime('package.json')) {
  console.log('dashboard: node_modules matches package-lock.json (npm ci skipped)');
} else {
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit' });
}
