import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { positionFromString, positionToString, type Position } from '../store/event-store';

/**
 * Where a projection keeps its model together with the checkpoint it reflects. Saving both in one
 * write is what lets a restart resume without applying an event twice or skipping one.
 */
export interface ReadModelStore<Model> {
  load(name: string): Promise<{ model: Model; checkpoint: Position } | undefined>;
  save(name: string, model: Model, checkpoint: Position): Promise<void>;
}

export const createInMemoryReadModelStore = <Model>(): ReadModelStore<Model> => {
  const saved = new Map<string, string>();
  return {
    async load(name) {
      const raw = saved.get(name);
      if (raw === undefined) return undefined;
      const { model, checkpoint } = JSON.parse(raw) as { model: Model; checkpoint: string };
      return { model, checkpoint: positionFromString(checkpoint)! };
    },
    async save(name, model, checkpoint) {
      // Serialised, so later in-place changes by the runner never leak into what was saved.
      saved.set(name, JSON.stringify({ model, checkpoint: positionToString(checkpoint) }));
    },
  };
};

/** One JSON file per projection, replaced atomically (write to a temp file, then rename). */
export const createFileReadModelStore = <Model>(directory: string): ReadModelStore<Model> => ({
  async load(name) {
    try {
      const raw = await fs.readFile(path.join(directory, `${name}.json`), 'utf8');
      const { model, checkpoint } = JSON.parse(raw) as { model: Model; checkpoint: string };
      const position = positionFromString(checkpoint);
      if (!position) throw new Error(`${name}.json has no valid checkpoint`);
      return { model, checkpoint: position };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  },
  async save(name, model, checkpoint) {
    await fs.mkdir(directory, { recursive: true });
    const file = path.join(directory, `${name}.json`);
    const temp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(temp, JSON.stringify({ model, checkpoint: positionToString(checkpoint) }));
    await fs.rename(temp, file);
  },
});
