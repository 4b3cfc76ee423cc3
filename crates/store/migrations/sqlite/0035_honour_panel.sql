-- A round's review panel (评审组, issue #18 §4): accounts the center names
-- beside itself; each member records a decision and a note per nominee, or
-- declares a conflict of interest and stays out of that nominee.
CREATE TABLE honour_panel (
    round_id INTEGER NOT NULL REFERENCES honour_rounds(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    added_by INTEGER REFERENCES users(id),
    added_at INTEGER NOT NULL,
    PRIMARY KEY (round_id, user_id)
);
CREATE TABLE honour_votes (
    nomination_id INTEGER NOT NULL REFERENCES honour_nominations(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    decision TEXT NOT NULL CHECK (decision IN ('approve', 'reject', 'conflict')),
    note TEXT,
    at INTEGER NOT NULL,
    PRIMARY KEY (nomination_id, user_id)
);
