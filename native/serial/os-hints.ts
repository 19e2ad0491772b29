// Turns the OS's refusal to open a serial port into a message a technician can act on.
export function explainOpenError(message: string, path: string, platform: NodeJS.Platform = process.platform): string {
  const m = message.toLowerCase();
  if (platform === 'win32') {
    if (m.includes('access denied') || m.includes('access is denied')) {
      return `${path} is busy: another program has the COM port open (the vendor's reader tool, another insurance client, a terminal program); close it and retry`;
    }
    if (m.includes('file not found') || m.includes('cannot find')) return `${path} does not exist: check the cable and the COM number in Device Manager, or run \`npm run card -- list\``;
  } else {
    if (m.includes('permission denied') || m.includes('eacces')) {
      return platform === 'linux'
        ? `permission denied on ${path}: add this user to the 'dialout' group (sudo usermod -aG dialout "$USER", then log out and back in)`
        : `permission denied on ${path}: this user may not open serial devices`;
    }
    if (m.includes('cannot lock port') || m.includes('resource busy') || m.includes('temporarily unavailable') || m.includes('ebusy')) {
      return `${path} is in use by another program (\`fuser ${path}\` shows which); close it and retry`;
    }
    if (m.includes('no such file') || m.includes('enoent')) return `${path} does not exist: check the cable, or run \`npm run card -- list\``;
  }
  return `cannot open ${path}`;
}
