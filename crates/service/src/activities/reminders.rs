//! Reminding confirmed volunteers before their activity: in the app, and by
//! SMS through the outbox when an SMS gateway is configured. Run from the
//! serve loop on every instance; each activity is reminded once.

use tongxing_domain::activities::HOUR_MS;
use tongxing_domain::time::rfc3339;
use tongxing_store::{activities::reminders, now_ms};

use crate::delivery::text;
use crate::{Result, Service};

/// "2026-12-05 09:00" in the region's time.
fn local_minute(ms: i64) -> String {
    rfc3339(ms).replace('T', " ").chars().take(16).collect()
}

impl Service {
    /// Reminds the confirmed volunteers of every activity starting within
    /// `activity_reminder_hours`; returns how many activities were reminded.
    pub async fn remind_due_activities(&self) -> Result<usize> {
        let now = now_ms();
        let until = now + self.settings.activity_reminder_hours * HOUR_MS;
        let mut done = 0;
        for a in reminders::due(&self.db, now, until).await? {
            let sms = self
                .settings
                .sms_gateway_url
                .as_ref()
                .map(|_| text("sms.activity_reminder", &[&a.title, &local_minute(a.starts_at), &a.place]));
            if reminders::remind(&self.db, a.id, now, sms.as_deref()).await?.is_some() {
                done += 1;
            }
        }
        Ok(done)
    }
}
