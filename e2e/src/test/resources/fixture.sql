-- A small FarmTally-shaped database for end-to-end tests: keys, a sequence, an index, a view.
-- :rows scales the tallies table (md5 text, so it compresses like real data, not like zeros).
create sequence invoice_number_seq start 1000;
create table users (id bigserial primary key, email text not null unique, created_at timestamptz not null);
create table farms (id bigserial primary key, owner_id bigint not null references users(id), name text not null);
create table tallies (id bigserial primary key, farm_id bigint not null references farms(id),
                      crop text not null, quantity numeric(12,2) not null, note text,
                      recorded_at timestamptz not null);
create index tallies_recorded_at on tallies(recorded_at);
create table payments (id bigserial primary key, user_id bigint not null references users(id),
                       invoice_number bigint not null default nextval('invoice_number_seq'),
                       amount numeric(12,2) not null);
insert into users(email, created_at)
  select 'user' || i || '@farmtally.test', timestamptz '2026-01-01' + i * interval '1 hour'
  from generate_series(1, 200) i;
insert into farms(owner_id, name) select 1 + (i % 200), 'Farm ' || i from generate_series(1, 400) i;
insert into tallies(farm_id, crop, quantity, note, recorded_at)
  select 1 + (i % 400), (array['wheat','barley','maize','oats'])[1 + i % 4], (i % 997) / 3.0,
         md5(i::text) || md5((i * 7)::text), timestamptz '2026-01-01' + i * interval '1 minute'
  from generate_series(1, :rows) i;
insert into payments(user_id, amount) select 1 + (i % 200), (i % 500) + 0.99 from generate_series(1, 300) i;
create view farm_totals as
  select f.id, f.name, sum(t.quantity) as total from farms f join tallies t on t.farm_id = f.id group by f.id, f.name;
