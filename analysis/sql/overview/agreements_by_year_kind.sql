-- Agreements per signing year and kind, under the current filters.
with final as (
    select year, kind, sum(agreements)::bigint as agreements
    from filtered_pair_counts($year_from, $year_to, $cities, $kinds, $include_illustrative)
    group by year, kind
)
select * from final order by year, kind
