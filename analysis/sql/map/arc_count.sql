-- Map: how many agreements the arcs would show under the shared filters (decides between one arc per agreement and arcs aggregated by place pair).
with final as (
    select coalesce(sum(agreements), 0)::bigint as agreements
    from filtered_pair_counts($year_from, $year_to, $cities, $kinds, $include_illustrative)
    where cross_city or not $cross_only
)
select * from final
