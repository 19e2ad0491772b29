// The renderer's only way to the backend: typed calls whose replies are checked against core/contracts.
import { HealthResponse } from '../../core/contracts/health';

async function getJson<T>(path: string, schema: { parse(value: unknown): T }): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return schema.parse(await response.json());
}

export const api = {
  health: () => getJson('/api/health', HealthResponse),
};
