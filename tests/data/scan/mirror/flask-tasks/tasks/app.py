import logging
import os
import signal

from flask import Flask, jsonify
from prometheus_flask_exporter import PrometheusMetrics
from redis import Redis
from rq import Queue

app = Flask(__name__)
PrometheusMetrics(app)
queue = Queue(connection=Redis.from_url(os.environ["REDIS_URL"]))
logging.basicConfig(filename="/var/log/tasks/app.log", level=logging.INFO)


@app.get("/healthz")
def health():
    return jsonify(status="ok")


def _drain(signum, frame):
    queue.connection.close()


signal.signal(signal.SIGTERM, _drain)
