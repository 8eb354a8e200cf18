-- Overview KPI cards: counts under the current filters, plus the last two years of the range.
with inst as (
    select
        count(*) filter (where type = 'base') as bases,
        count(*) filter (where type = 'school') as schools
    from filtered_institutions($cities, $include_illustrative)
),
agr as (
    select coalesce(sum(agreements), 0)::bigint as agreements,
           coalesce(sum(agreements) filter (where cross_city), 0)::bigint as cross_city
    from filtered_pair_counts($year_from, $year_to, $cities, $kinds, $include_illustrative)
),
recent as (
    -- the last year of the range against the year before it, even if that year lies
    -- outside the range: the card shows year-on-year change
    select
        coalesce(sum(agreements) filter (where year = $year_to), 0)::bigint as this_year,
        coalesce(sum(agreements) filter (where year = $year_to - 1), 0)::bigint as previous_year
    from filtered_pair_counts($year_to - 1, $year_to, $cities, $kinds, $include_illustrative)
),
final as (
    select inst.*, agr.*, recent.* from inst, agr, recent
)
select * from final
