package store

const testDSN = "postgres://catalog:catalog@127.0.0.1:5432/catalog?sslmode=disable"
