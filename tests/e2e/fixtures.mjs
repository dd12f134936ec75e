// The fixtures the browser tests share with the API tests: fixtures.json is generated from
// tests/src/fixtures.rs (a Rust test fails when it is out of date), so a draw spec is written
// down in one place only.
import { readFileSync } from "node:fs";

export const FIXTURES = JSON.parse(readFileSync(new URL("./fixtures.json", import.meta.url), "utf8"));
