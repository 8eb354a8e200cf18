-- Network growth: each unordered institution pair under the shared filters and each year it signed in (institution numbers as in network/pairs), unordered.
with final as (
    select year::integer as year, least(a_ix, b_ix) as a, greatest(a_ix, b_ix) as b,
           bool_or(cross_city) as cross_city
    from filtered_agreements($year_from, $year_to, $cities, $kinds, $include_illustrative)
    group by all
)
select * from final
