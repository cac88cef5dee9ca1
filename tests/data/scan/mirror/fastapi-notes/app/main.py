import os
import sqlite3

from fastapi import FastAPI

app = FastAPI()
DB_PATH = os.environ.get("NOTES_DB", "/data/notes.db")


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/notes")
def notes() -> list[str]:
    with sqlite3.connect(DB_PATH) as db:
        return [row[0] for row in db.execute("select body from notes")]
