# Reference: the stack duet replaces, Flask behind gunicorn, answering GET /v1/tasks/<id> with the same JSON.
import json
import os

from flask import Flask, Response

app = Flask(__name__)
TASK = json.loads(os.environ["BENCH_TASK"])
BODY = json.dumps(TASK, separators=(",", ":"))


@app.get("/v1/tasks/<task_id>")
def get_task(task_id):
    return Response(BODY, mimetype="application/json", headers={"etag": f'"{TASK["version"]}"'})
