-- Take-over requests (转单): a team asks to take over a need another team
-- holds; the holder's leader or the center accepts or declines. A request still
-- open when the need leaves its holder ends with it.
CREATE TABLE takeover_requests (
    id BIGSERIAL PRIMARY KEY,
    need_id BIGINT NOT NULL REFERENCES needs(id),
    team_id BIGINT NOT NULL REFERENCES teams(id),
    holder_team_id BIGINT NOT NULL REFERENCES teams(id),
    reason TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'declined', 'ended')),
    requested_by BIGINT REFERENCES users(id),
    decided_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    decided_at BIGINT
);
-- One open request per team and need; the index is the arbiter between two taps.
CREATE UNIQUE INDEX takeover_requests_one_open ON takeover_requests (need_id, team_id) WHERE status = 'open';
CREATE INDEX takeover_requests_need ON takeover_requests (need_id, status);
