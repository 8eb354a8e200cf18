-- Earliest and latest signing year, for the year-range control.
with final as (
    select min(year) as first_year, max(year) as last_year from agreement_facts
)
select * from final
