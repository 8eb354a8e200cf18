-- Network: agreements under the shared filters summed per unordered institution pair (the edges the graph library sees), with the year of the pair's first agreement. Whether a pair is cross-city is its two institutions' cities (analysis/network/data.py): an aggregate less over ~1M pairs. a < b are institution numbers (institutions.ix, as network/institutions gives them). Unordered: sorting 1M pairs would cost more than the grouping; the callers that need an order sort what they use.
with final as (
    select least(a_ix, b_ix) as a, greatest(a_ix, b_ix) as b, count(*)::integer as agreements,
           (count(*) filter (where illustrative))::integer as illustrative_agreements,
           min(year)::integer as first_year
    from filtered_agreements($year_from, $year_to, $cities, $kinds, $include_illustrative)
    group by all
)
select * from final
