// Loads a pull's Parquet output into DuckDB (@duckdb/node-api, which ships
// its engine) and prints, as JSON: the row count, each column's DuckDB
// type, and the cost sum as an exact decimal string. The Go test
// (duckdb_test.go) decides what is right.
//
//   node check.cjs FILE COLUMN
const { DuckDBInstance } = require('@duckdb/node-api');

async function main() {
  const [file, column] = process.argv.slice(2);
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const quoted = "'" + file.replace(/'/g, "''") + "'";
  const count = await con.runAndReadAll(`SELECT count(*)::VARCHAR AS n FROM read_parquet(${quoted})`);
  const types = await con.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(${quoted}))`);
  const sum = await con.runAndReadAll(`SELECT sum("${column}")::VARCHAR AS s FROM read_parquet(${quoted})`);
  const columns = {};
  for (const [name, type] of types.getRows()) columns[name] = String(type);
  process.stdout.write(JSON.stringify({
    rows: count.getRows()[0][0],
    sum: sum.getRows()[0][0],
    columns,
  }) + '\n');
}

main().catch((err) => { console.error(err.message || String(err)); process.exit(1); });
