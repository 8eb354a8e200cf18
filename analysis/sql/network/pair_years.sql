-- Network growth: each unordered institution pair under the shared filters and each year it signed in (institution numbers as in network/pairs), unordered; whether a pair is cross-city comes from its institutions' cities (analysis/network/data.cross_city).
with final as (
    select distinct year::integer as year, least(a_ix, b_ix) as a, greatest(a_ix, b_ix) as b
    from filtered_agreements($year_from, $year_to, $cities, $kinds, $include_illustrative)
)
select * from final
