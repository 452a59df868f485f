"""Invariants of a generated data set, checked in SQL (fast enough for size M).

Each check counts offending rows; an empty result means the data set is consistent.
"""

from __future__ import annotations

from django.db import connection

CHECKS: dict[str, str] = {
    "file without a current movement": """
        SELECT count(*) FROM files_file WHERE current_movement_id IS NULL
    """,
    "holder differs from current_movement.to_post": """
        SELECT count(*) FROM files_file f
        JOIN movement_movement m ON m.id = f.current_movement_id
        WHERE m.to_post_id <> f.holder_id OR m.file_id <> f.id OR m.pulled_back_at IS NOT NULL
    """,
    "inbox keys differ from the current movement": """
        SELECT count(*) FROM files_file f
        JOIN movement_movement m ON m.id = f.current_movement_id
        WHERE f.inbox_unread <> (m.read_at IS NULL) OR f.inbox_priority <> m.priority
           OR COALESCE(f.inbox_due_on, '1900-01-01') <> COALESCE(m.due_on, '1900-01-01')
           OR f.inbox_since <> m.sent_at
    """,
    "current movement is not the file's last held movement": """
        SELECT count(*) FROM files_file f
        WHERE f.current_movement_id <> (
            SELECT m.id FROM movement_movement m
            WHERE m.file_id = f.id AND m.pulled_back_at IS NULL
            ORDER BY m.sent_at DESC, m.id DESC LIMIT 1
        )
    """,
    "broken custody chain (first not an open; from/previous not the prior holder)": """
        SELECT count(*) FROM (
            SELECT action, previous_id, from_post_id,
                   lag(id) OVER w AS prior_id, lag(to_post_id) OVER w AS prior_to,
                   row_number() OVER w AS rn
            FROM movement_movement WHERE pulled_back_at IS NULL
            WINDOW w AS (PARTITION BY file_id ORDER BY sent_at, id)
        ) h
        WHERE (rn = 1 AND (action <> 'open' OR previous_id IS NOT NULL
                           OR from_post_id IS NOT NULL))
           OR (rn > 1 AND (action = 'open' OR previous_id IS NULL OR previous_id <> prior_id
                           OR from_post_id IS NULL OR from_post_id <> prior_to))
    """,
    "pulled-back send not from the holder of its time, or read": """
        SELECT count(*) FROM movement_movement p
        LEFT JOIN movement_movement h ON h.id = p.previous_id
        WHERE p.pulled_back_at IS NOT NULL AND (
            h.id IS NULL OR h.file_id <> p.file_id OR h.to_post_id <> p.from_post_id
            OR h.sent_at > p.sent_at OR p.read_at IS NOT NULL
        )
    """,
    "held movement, not current, never read": """
        SELECT count(*) FROM movement_movement m
        JOIN files_file f ON f.id = m.file_id
        WHERE m.pulled_back_at IS NULL AND m.read_at IS NULL AND m.id <> f.current_movement_id
    """,
    "paragraph numbers not continuous": """
        SELECT count(*) FROM (
            SELECT first_para,
                   1 + coalesce(sum(para_count) OVER (
                       PARTITION BY file_id ORDER BY id
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS expected
            FROM files_note
        ) n WHERE first_para <> expected
    """,
    "draft note not by the holder, or before a final note": """
        SELECT count(*) FROM files_note d
        JOIN files_file f ON f.id = d.file_id
        WHERE d.is_final = %s AND (
            d.post_id <> f.holder_id
            OR EXISTS (SELECT 1 FROM files_note n
                       WHERE n.file_id = d.file_id AND n.is_final = %s AND n.id > d.id)
        )
    """,
    "note written by a post that never held the file": """
        SELECT count(*) FROM files_note n
        WHERE NOT EXISTS (SELECT 1 FROM movement_movement m
                          WHERE m.file_id = n.file_id AND m.to_post_id = n.post_id
                            AND m.pulled_back_at IS NULL)
    """,
}


def check_dataset() -> dict[str, int]:
    """Offending-row counts for every check that fails (empty when all hold)."""
    problems: dict[str, int] = {}
    with connection.cursor() as cursor:
        for name, sql in CHECKS.items():
            params = [False, True] if "%s" in sql else []
            cursor.execute(sql, params)
            row = cursor.fetchone()
            if row and row[0]:
                problems[name] = int(row[0])
    return problems
