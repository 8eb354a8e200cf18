-- Network growth (cumulative): each unordered institution pair under the shared filters with the year of its first agreement (node numbers as in network/nodes), oldest first.
with final as (
    select min(year) as year, a, b, bool_or(cross_city) as cross_city
    from numbered_pairs($year_from, $year_to, $cities, $kinds, $include_illustrative)
    group by a, b
)
select * from final order by year, a, b
