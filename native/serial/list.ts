// Port discovery for the technician (`card list`) and the settings UI.
// serialport (18 packages and a native addon) is imported when first needed, not at start-up.

export interface PortInfo {
  readonly path: string;
  readonly manufacturer: string | null;
  readonly vendorId: string | null;
  readonly productId: string | null;
  readonly serialNumber: string | null;
}

export async function listPorts(): Promise<PortInfo[]> {
  const { SerialPort: Port } = await import('serialport');
  const ports = await Port.list();
  return ports.map((p) => ({
    path: p.path,
    manufacturer: p.manufacturer ?? null,
    vendorId: p.vendorId ?? null,
    productId: p.productId ?? null,
    serialNumber: p.serialNumber ?? null,
  }));
}
