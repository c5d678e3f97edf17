// Reads a dataset's partitions with DuckDB as a user would,
// read_parquet('DIR/**/*.parquet', hive_partitioning = true), and prints,
// as JSON, each billing_period's row count and exact cost sum. The Go test
// (duckdb_test.go) compares them with the manifest.
//
//   node dataset.cjs DIR COLUMN
const { DuckDBInstance } = require('@duckdb/node-api');

async function main() {
  const [dir, column] = process.argv.slice(2);
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const glob = "'" + (dir + '/**/*.parquet').replace(/'/g, "''") + "'";
  const r = await con.runAndReadAll(
    `SELECT billing_period::VARCHAR, count(*)::VARCHAR, sum("${column}")::VARCHAR
       FROM read_parquet(${glob}, hive_partitioning = true) GROUP BY ALL ORDER BY 1`);
  const out = {};
  for (const [period, rows, sum] of r.getRows()) out[period] = { rows, sum };
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((err) => { console.error(err.message || String(err)); process.exit(1); });
