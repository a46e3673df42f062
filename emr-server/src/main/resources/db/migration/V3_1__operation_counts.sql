-- How many operations each account has, so that an unfiltered ListOperations answers TotalCount
-- without counting the account's rows (an exact COUNT(*) range scan costs ~60 ms on H2 at 200,000
-- operations in one account). Maintained in the transaction that inserts an operation; spread over
-- a few stripes per account so concurrent submits do not queue on one row. TotalCount = SUM(total).
CREATE TABLE operation_counts (
    account_id BIGINT  NOT NULL,
    stripe     INTEGER NOT NULL,
    total      BIGINT  NOT NULL,
    PRIMARY KEY (account_id, stripe)
);
INSERT INTO operation_counts (account_id, stripe, total)
    SELECT account_id, 0, COUNT(*) FROM operations GROUP BY account_id;
