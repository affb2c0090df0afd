CREATE TABLE IF NOT EXISTS items (id serial PRIMARY KEY, name text UNIQUE NOT NULL);
INSERT INTO items (name) VALUES ('widget'), ('gadget') ON CONFLICT (name) DO NOTHING;
