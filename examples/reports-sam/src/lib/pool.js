'use strict';

const { Pool } = require('pg');

// One connection per execution environment: Lambda runs one event at a time per environment, and the replica
// has a hard connection cap. pg connects lazily on the first query, so building the pool here does no I/O.
const pool = new Pool({
  host: process.env.DB_HOST,
  database: process.env.DB_NAME,
  user: process.env.DB_USER,
  password: process.env.DB_PASSWORD,
  port: 5432,
  max: 1,
  idleTimeoutMillis: 120000,
  connectionTimeoutMillis: 3000,
  statement_timeout: 20000,
  ssl: { rejectUnauthorized: true },
});

module.exports = { pool };
