-- What is loaded: rows per table, split into real (sourced) and illustrative records.
with counts as (
    select 'bases' as table_name, count(*) as total,
           count(*) filter (where provenance = 'illustrative') as illustrative from bases
    union all select 'schools', count(*), count(*) filter (where provenance = 'illustrative') from schools
    union all select 'agreements', count(*), count(*) filter (where provenance = 'illustrative') from agreements
    union all select 'events', count(*), count(*) filter (where provenance = 'illustrative') from events
    union all select 'honours', count(*), count(*) filter (where provenance = 'illustrative') from honours
    union all select 'districts', count(*), 0 from districts
    union all select 'cities', count(*), 0 from cities
),
final as (
    select table_name, total, total - illustrative as real, illustrative from counts
)
select * from final
