-- FarmTally's billing tables in MariaDB (issue 19): what `./lifeboat up` loads, once, into each
-- database of the example config's mariadb: source (farmtally_billing). Deterministic: the
-- same rows on every machine. Loaded in one transaction; a failure drops the database.
CREATE TABLE customers (
  id         BIGINT PRIMARY KEY,
  email      VARCHAR(255) NOT NULL UNIQUE,
  plan       ENUM('free', 'farm', 'cooperative') NOT NULL,
  created_at DATETIME(6) NOT NULL
) ENGINE=InnoDB;

CREATE TABLE invoices (
  invoice_number BIGINT PRIMARY KEY,
  customer_id    BIGINT NOT NULL,
  amount         DECIMAL(12,2) NOT NULL CHECK (amount > 0),
  currency       CHAR(3) NOT NULL DEFAULT 'USD',
  issued_at      DATETIME(6) NOT NULL,
  status         ENUM('pending', 'paid', 'failed', 'refunded') NOT NULL,
  KEY invoices_customer (customer_id),
  CONSTRAINT invoices_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE=InnoDB;

CREATE TABLE payments (
  id             BIGINT PRIMARY KEY AUTO_INCREMENT,
  invoice_number BIGINT NOT NULL,
  paid_at        DATETIME(6) NOT NULL,
  method         ENUM('card', 'transfer', 'cash') NOT NULL,
  KEY payments_invoice (invoice_number),
  CONSTRAINT payments_invoice_fk FOREIGN KEY (invoice_number) REFERENCES invoices (invoice_number)
) ENGINE=InnoDB;

START TRANSACTION;
INSERT INTO customers (id, email, plan, created_at)
  SELECT seq, CONCAT('farmer', seq, '@farmtally.test'),
         ELT(1 + seq % 3, 'free', 'farm', 'cooperative'),
         TIMESTAMP('2024-01-01') + INTERVAL (seq * 7919) % 31536000 SECOND
  FROM seq_1_to_500;
INSERT INTO invoices (invoice_number, customer_id, amount, currency, issued_at, status)
  SELECT 100000 + seq, 1 + (seq * 7) % 500, ROUND(10 + (seq * 104729) % 99000 / 100, 2), 'USD',
         TIMESTAMP('2024-02-01') + INTERVAL (seq * 6151) % 28000000 SECOND,
         ELT(1 + seq % 10, 'paid', 'paid', 'paid', 'paid', 'paid', 'paid', 'pending', 'pending',
             'failed', 'refunded')
  FROM seq_1_to_2000;
INSERT INTO payments (invoice_number, paid_at, method)
  SELECT invoice_number, issued_at + INTERVAL (invoice_number % 86400) SECOND,
         ELT(1 + invoice_number % 3, 'card', 'transfer', 'cash')
  FROM invoices WHERE status IN ('paid', 'refunded') ORDER BY invoice_number;
COMMIT;
