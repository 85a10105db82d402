'use strict';

const winston = require('winston');

// Console only: Lambda ships stdout to CloudWatch, a file transport would write into a read-only filesystem.
module.exports = winston.createLogger({
  level: process.env.LOG_LEVEL || 'info',
  defaultMeta: { service: 'reports', stage: process.env.STAGE },
  format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json()),
  transports: [new winston.transports.Console()],
});
