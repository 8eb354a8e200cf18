-- Agreements per signing year and city pair (Chengdu–Chongqing is the cross-city pair).
with final as (
    select year, city_pair, bool_or(cross_city) as cross_city, sum(agreements)::bigint as agreements
    from filtered_pair_counts($year_from, $year_to, $cities, $kinds, $include_illustrative)
    group by year, city_pair
)
select * from final order by year, city_pair
