# Example connection: "postgresql://notes:notes@10.0.0.7/notes" (we moved to SQLite)
UPSTREAM = "http://172.16.4.20:9000/api"
