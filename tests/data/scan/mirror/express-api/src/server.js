const express = require('express');
const session = require('express-session');
const RedisStore = require('connect-redis').default;
const multer = require('multer');
const cron = require('node-cron');
const client = require('prom-client');

const app = express();
const upload = multer({ dest: '/var/lib/express-api/uploads' });
app.use(session({ store: new RedisStore({ client: redis }), secret: process.env.SESSION_SECRET }));
client.collectDefaultMetrics();

app.get('/health', (req, res) => res.json({ ok: true }));
app.post('/avatars', upload.single('avatar'), (req, res) => res.sendStatus(201));

cron.schedule('0 * * * *', () => purgeExpiredTokens());

const server = app.listen(process.env.PORT || 3000);
process.on('SIGTERM', () => server.close());
