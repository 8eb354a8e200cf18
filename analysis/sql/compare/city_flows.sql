-- Compare page: agreements between cities (party A's city to party B's city), for the Sankey.
-- For base_school agreements party A is the base, so the flow runs from bases to schools.
with final as (
    select a_city, b_city, cross_city, sum(agreements)::bigint as agreements
    from filtered_pair_counts($year_from, $year_to, $cities, $kinds, $include_illustrative)
    group by all
)
select * from final
order by cross_city, agreements desc, a_city, b_city
