// A small SQL runner over either registry backend, for modules that keep their own tables next to the registry's
// (cross-matching partners). SQL is written with `?` placeholders; PostgreSQL gets them renumbered to $1…$n.
import type Database from 'better-sqlite3';
import type pg from 'pg';

export interface SqlAdapter {
  readonly kind: 'sqlite' | 'postgres';
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  run(sql: string, params?: unknown[]): Promise<number>;
  /** Runs one statement for each parameter row inside one transaction; returns the rows changed. */
  batch(sql: string, rows: unknown[][]): Promise<number>;
}

export function sqliteAdapter(db: () => Database.Database): SqlAdapter {
  return {
    kind: 'sqlite',
    async all<T>(sql: string, params: unknown[] = []) {
      return db().prepare(sql).all(...params) as T[];
    },
    async run(sql: string, params: unknown[] = []) {
      return db().prepare(sql).run(...params).changes;
    },
    async batch(sql: string, rows: unknown[][]) {
      const d = db();
      const st = d.prepare(sql);
      return d.transaction((rs: unknown[][]) => rs.reduce((n, r) => n + st.run(...r).changes, 0))(rows);
    },
  };
}

const numbered = (sql: string) => {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
};

export function postgresAdapter(pool: () => pg.Pool): SqlAdapter {
  return {
    kind: 'postgres',
    async all<T>(sql: string, params: unknown[] = []) {
      return (await pool().query(numbered(sql), params)).rows as T[];
    },
    async run(sql: string, params: unknown[] = []) {
      return (await pool().query(numbered(sql), params)).rowCount ?? 0;
    },
    async batch(sql: string, rows: unknown[][]) {
      const c = await pool().connect();
      try {
        await c.query('BEGIN');
        let n = 0;
        const text = numbered(sql);
        for (const r of rows) n += (await c.query(text, r)).rowCount ?? 0;
        await c.query('COMMIT');
        return n;
      } catch (e) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        c.release();
      }
    },
  };
}
