-- Agreements per signing year and kind, under the current filters.
with final as (
    select year, kind, count(*) as agreements
    from filtered_agreements($year_from, $year_to, $cities, $kinds, $include_illustrative)
    group by year, kind
)
select * from final order by year, kind
