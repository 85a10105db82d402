'use strict';

// Legacy v1 REST API, kept for the mobile app until it moves to the v2 per-route functions.
const express = require('express');
const serverless = require('serverless-http');
const Joi = require('joi');
const { v4: uuidv4 } = require('uuid');
const { getOrder, putOrder, listOrdersByCustomer } = require('../lib/db');
const { computeTotals } = require('../lib/order-model');

const app = express();
const router = express.Router();

app.disable('x-powered-by');
app.use(express.json({ limit: '256kb' }));

const lineSchema = Joi.object({
  sku: Joi.string().pattern(/^[A-Z0-9-]{4,32}$/).required(),
  quantity: Joi.number().integer().min(1).max(999).required(),
  unitPriceCents: Joi.number().integer().min(0).required(),
});

const createOrderSchema = Joi.object({
  customerId: Joi.string().required(),
  currency: Joi.string().valid('EUR', 'USD', 'GBP').required(),
  lines: Joi.array().items(lineSchema).min(1).max(50).required(),
  shippingAddress: Joi.object({
    line1: Joi.string().max(120).required(),
    city: Joi.string().max(60).required(),
    postalCode: Joi.string().max(16).required(),
    country: Joi.string().length(2).uppercase().required(),
  }).required(),
  couponCode: Joi.string().alphanum().max(20),
});

router.get('/orders/:id', async (req, res, next) => {
  try {
    const order = await getOrder(req.params.id);
    if (!order) return res.status(404).json({ message: 'order not found' });
    return res.json(order);
  } catch (err) {
    return next(err);
  }
});

router.get('/customers/:customerId/orders', async (req, res, next) => {
  try {
    const limit = Math.min(Number(req.query.limit) || 25, 100);
    const orders = await listOrdersByCustomer(req.params.customerId, limit);
    return res.json({ items: orders, count: orders.length });
  } catch (err) {
    return next(err);
  }
});

router.post('/orders', async (req, res, next) => {
  const { error, value } = createOrderSchema.validate(req.body, { abortEarly: false, stripUnknown: true });
  if (error) {
    return res.status(400).json({ message: 'invalid order', issues: error.details.map((d) => d.message) });
  }
  try {
    const order = {
      ...value,
      ...computeTotals(value),
      orderId: uuidv4(),
      status: 'PENDING',
      createdAt: new Date().toISOString(),
      estimatedDelivery: '',
    };
    await putOrder(order);
    return res.status(201).location(`/v1/orders/${order.orderId}`).json({ orderId: order.orderId, totalCents: order.totalCents });
  } catch (err) {
    return next(err);
  }
});

app.use('/v1', router);

// eslint-disable-next-line no-unused-vars -- express recognises error handlers by their four parameters
app.use((err, req, res, next) => {
  if (err.code === 'ConditionalCheckFailedException') return res.status(409).json({ message: 'order already exists' });
  console.error(JSON.stringify({ level: 'error', message: 'unhandled', name: err.name, code: err.code }));
  return res.status(500).json({ message: 'internal error' });
});

module.exports.handler = serverless(app);
