-- Forum editions and related events within the year range, with their agreement counts.
with signed as (
    select event_id, count(*) as agreements
    from agreement_facts
    where event_id is not null and ($include_illustrative or not illustrative)
    group by event_id
),
final as (
    select e.event_id, e.name_zh, e.name_en, e.date, e.city, e.venue, e.theme_zh, e.theme_en,
           e.provenance, e.event_id like 'forum-%' as is_forum,
           coalesce(s.agreements, 0) as agreements
    from events e
    left join signed s using (event_id)
    where year(e.date) between $year_from and $year_to
)
select * from final order by date, event_id
