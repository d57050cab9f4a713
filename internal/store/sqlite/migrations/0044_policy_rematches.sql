-- The daily rematch judges each policy in a transaction of its own, claimed for the day here:
-- judging every policy in one transaction held the only writer for minutes at city scale, and
-- every sign-in and edit waited. Instances share the policies; a run cut short is finished by
-- the next. policy_rematch_runs now marks a day whose policies were all judged.
CREATE TABLE policy_rematches (
    policy_id TEXT PRIMARY KEY REFERENCES policies (id),
    day       TEXT NOT NULL
);
