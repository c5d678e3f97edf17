// Loads a pull's csv into DuckDB twice: as read_csv guesses its types, and
// with the one-line typed load the README gives. Prints, as JSON, each
// load's type and distinct values of one column. The Go test decides.
//
//   node csv.cjs FILE COLUMN TYPES_JSON   (TYPES_JSON: {"account_id": "VARCHAR", ...})
const { DuckDBInstance } = require('@duckdb/node-api');

async function load(con, from, column) {
  const t = await con.runAndReadAll(`SELECT column_type FROM (DESCRIBE SELECT * FROM ${from}) WHERE column_name = '${column}'`);
  const v = await con.runAndReadAll(`SELECT DISTINCT "${column}"::VARCHAR FROM ${from} WHERE "${column}" IS NOT NULL ORDER BY 1 LIMIT 3`);
  return { type: String(t.getRows()[0][0]), values: v.getRows().map((r) => r[0]) };
}

async function main() {
  const [file, column, types] = process.argv.slice(2);
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const quoted = "'" + file.replace(/'/g, "''") + "'";
  const struct = '{' + Object.entries(JSON.parse(types)).map(([k, v]) => `'${k}': '${v}'`).join(', ') + '}';
  const guessed = await load(con, `read_csv(${quoted})`, column);
  const typed = await load(con, `read_csv(${quoted}, types = ${struct})`, column);
  process.stdout.write(JSON.stringify({ guessed, typed }) + '\n');
}

main().catch((err) => { console.error(err.message || String(err)); process.exit(1); });
