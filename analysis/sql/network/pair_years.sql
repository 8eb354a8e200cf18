-- Network growth: agreements under the shared filters per unordered institution pair and year (node numbers as in network/nodes).
with final as (
    select year, a, b, count(*)::integer as agreements, bool_or(cross_city) as cross_city
    from numbered_pairs($year_from, $year_to, $cities, $kinds, $include_illustrative)
    group by year, a, b
)
select * from final order by year, a, b
