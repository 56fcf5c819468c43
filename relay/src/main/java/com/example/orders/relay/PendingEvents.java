package com.example.orders.relay;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The relay's side of outbox_events (migration V12): claim, record the outcome, delete the old. */
@Repository
public class PendingEvents {

  private final JdbcClient jdbc;

  public PendingEvents(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Locks the oldest unpublished event of up to {@code keys} keys, skipping those another relay holds
   * (SKIP LOCKED), oldest first. Only a key's oldest unpublished event can be claimed, so a key has at
   * most one event on its way at any time: no relay publishes an event before the one ahead of it in its
   * key is recorded as published, whatever fails in between (a broker that takes a later record after
   * dropping an earlier one cannot reorder what was never sent). Parked rows do not hold their key back.
   * Runs in the caller's transaction.
   */
  public List<PendingEvent> claim(int keys) {
    // Planned afresh each time: the table swings from a few rows to a backlog of thousands, and the
    // generic plan the driver's prepared statement settled on while it was near empty took 19-25 s for
    // each claim of a 50,000-event backlog until autovacuum re-analysed the table (a fresh plan: 8 ms).
    jdbc.sql("SET LOCAL plan_cache_mode = force_custom_plan").update();
    return jdbc.sql("""
            SELECT e.id, e.position, e.topic, e.message_key, e.sequence, e.event_type, e.data::text AS data, e.created_at
            FROM outbox_events e
            WHERE e.published_at IS NULL AND e.parked_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM outbox_events earlier
                              WHERE earlier.topic = e.topic AND earlier.message_key = e.message_key
                                AND earlier.sequence < e.sequence
                                AND earlier.published_at IS NULL AND earlier.parked_at IS NULL)
            ORDER BY e.position
            LIMIT :keys
            FOR UPDATE SKIP LOCKED""")
        .param("keys", keys)
        .query((rs, n) -> new PendingEvent(rs.getObject("id", UUID.class), rs.getLong("position"),
            rs.getString("topic"), rs.getString("message_key"), rs.getLong("sequence"), rs.getString("event_type"),
            rs.getString("data"), rs.getObject("created_at", OffsetDateTime.class)))
        .list();
  }

  public void markPublished(List<UUID> ids) {
    if (ids.isEmpty()) {
      return;
    }
    jdbc.sql("UPDATE outbox_events SET published_at = clock_timestamp() WHERE id = ANY (:ids)")
        .param("ids", ids.toArray(UUID[]::new))
        .update();
  }

  /** Holds an event that cannot be published, with why, for an operator; its key's later events go on. */
  public void park(UUID id, String error) {
    jdbc.sql("UPDATE outbox_events SET parked_at = clock_timestamp(), publish_error = :error WHERE id = :id")
        .param("id", id)
        .param("error", error)
        .update();
  }

  /** Deletes up to {@code limit} rows published longer than {@code retention} ago; returns how many. */
  public int deletePublishedBefore(Duration retention, int limit) {
    return jdbc.sql("""
            DELETE FROM outbox_events WHERE id IN (
              SELECT id FROM outbox_events
              WHERE published_at < clock_timestamp() - make_interval(secs => :seconds)
              LIMIT :limit)""")
        .param("seconds", (double) retention.toSeconds())
        .param("limit", limit)
        .update();
  }

  /** When the oldest event still waiting to be published was written; empty when none waits. */
  public Optional<OffsetDateTime> oldestUnpublished() {
    return jdbc.sql("""
            SELECT created_at FROM outbox_events WHERE published_at IS NULL AND parked_at IS NULL
            ORDER BY position LIMIT 1""")
        .query(OffsetDateTime.class)
        .optional();
  }

  public long parkedCount() {
    return jdbc.sql("SELECT count(*) FROM outbox_events WHERE parked_at IS NOT NULL").query(Long.class).single();
  }
}
